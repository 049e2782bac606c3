"""Web log analytics (seed 001 §2.4.2): access logs imported straight into the spool.

`footfall import-logs` reads the formats of the Piwik PRO log importer, applies its exclusion
options and its static / download / bot / error / redirect classes, and appends one tracking
record per imported line to the spool, where the pipeline processes it like an HTTP hit.
"""

from footfall.importer.classify import DOWNLOAD_EXTENSIONS, Classifier, ImportOptions, Skip
from footfall.importer.formats import FORMAT_NAMES, by_name, detect
from footfall.importer.run import FileResult, LogImporter, UnknownFormat
from footfall.importer.sites import SiteResolver, UnknownApp
from footfall.importer.state import ImportState

__all__ = [
    "DOWNLOAD_EXTENSIONS",
    "FORMAT_NAMES",
    "Classifier",
    "FileResult",
    "ImportOptions",
    "ImportState",
    "LogImporter",
    "SiteResolver",
    "Skip",
    "UnknownApp",
    "UnknownFormat",
    "by_name",
    "detect",
]
