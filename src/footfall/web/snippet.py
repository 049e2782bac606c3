"""The install snippet of seed 001 §2.1.2 ("Installing tracking code via code snippet").

It is filled in with this instance's URL and an app id, for `footfall apps snippet ID` and
`GET /api/apps/v2/{id}/tracking-code`.
"""

from __future__ import annotations

import json

__all__ = ["tracking_code"]

_TEMPLATE = """<!-- Piwik -->
<script type="text/javascript">
  var _paq = _paq || [];
  _paq.push(["trackPageView"]);
  _paq.push(["enableLinkTracking"]);
  (function() {
    var u=__BASE__;
    _paq.push(["setTrackerUrl", u+"ppms.php"]);
    _paq.push(["setSiteId", __APP__]);
    var d=document, g=d.createElement("script"), s=d.getElementsByTagName("script")[0];
    g.type="text/javascript"; g.async=true; g.defer=true; g.src=u+"ppms.js"; s.parentNode.insertBefore(g,s);
  })();
</script>
<!-- End Piwik Code -->
"""


def _js_string(value: str) -> str:
    """A JavaScript string literal that is also safe inside an HTML <script> element."""
    # why: json.dumps quotes and escapes; "</" must not close the script element early.
    return json.dumps(value).replace("</", "<\\/")


def tracking_code(base_url: str, app_id: str) -> str:
    """The snippet for app `app_id`, loading ppms.js from and sending to `base_url`."""
    base = base_url.rstrip("/") + "/"
    return _TEMPLATE.replace("__BASE__", _js_string(base)).replace("__APP__", _js_string(app_id))
