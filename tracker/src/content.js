// Content blocks (seed 001 §2.1.1 "Content tracking"): finding them in the DOM and reading their
// name, piece and target by the documented markup rules.

const BLOCK = '[data-track-content],.piwikTrackContent';
const UNKNOWN = 'Unknown';
const MEDIA = /^(IMG|EMBED|VIDEO|AUDIO)$/;

/** Every content block inside `root` (the root itself included). */
export function findBlocks(root) {
  if (!root || !root.querySelectorAll) return [];
  const found = Array.from(root.querySelectorAll(BLOCK));
  return root.matches && root.matches(BLOCK) ? [root, ...found] : found;
}

/** The block `node` is, or lies in, or else the first block inside it (null when none). */
export function blockOf(node) {
  if (!node || !node.closest) return null;
  return node.closest(BLOCK) || findBlocks(node)[0] || null;
}

/** The first element at or under `block` with attribute `attr` or class `cls`, else `block`. */
function partNode(block, attr, cls) {
  if (block.hasAttribute(attr) || block.classList.contains(cls)) return block;
  return block.querySelector('[' + attr + '],.' + cls) || block;
}

function attr(node, name) {
  const v = node && node.getAttribute(name);
  return v ? v.trim() : '';
}

function mediaSource(node) {
  if (!MEDIA.test(node.nodeName)) return '';
  const source = attr(node, 'src');
  if (source) return source;
  const child = node.querySelector('source[src]');
  return child ? attr(child, 'src') : '';
}

/** {name, piece, target} of a block, by the rules of seed 001 "Content tracking". */
export function readBlock(block) {
  const pieceNode = partNode(block, 'data-content-piece', 'piwikContentPiece');
  const targetNode = partNode(block, 'data-content-target', 'piwikContentTarget');
  const piece = attr(pieceNode, 'data-content-piece') || mediaSource(pieceNode) || UNKNOWN;
  const target =
    attr(targetNode, 'data-content-target') ||
    attr(targetNode, 'href') ||
    attr(block, 'href') ||
    attr(pieceNode, 'href');
  const nameNode = partNode(block, 'data-content-name', 'piwikContentName');
  const name =
    attr(nameNode, 'data-content-name') ||
    (piece !== UNKNOWN ? piece : '') ||
    attr(block, 'title') ||
    attr(pieceNode, 'title') ||
    attr(targetNode, 'title') ||
    UNKNOWN;
  return { name, piece, target };
}

/** Does the block ask that clicks on it are not tracked as interactions? */
export function ignoresInteraction(block) {
  const target = partNode(block, 'data-content-target', 'piwikContentTarget');
  return [block, target].some(
    (n) =>
      n.hasAttribute('data-content-ignoreinteraction') ||
      n.classList.contains('piwikContentIgnoreInteraction'),
  );
}

/** Is the element on screen now (inside the viewport, not hidden)? */
export function isVisible(node, win) {
  if (!node.getClientRects().length) return false;
  const style = win.getComputedStyle(node);
  if (style.visibility === 'hidden' || style.display === 'none' || style.opacity === '0') {
    return false;
  }
  const r = node.getBoundingClientRect();
  const height = win.innerHeight || win.document.documentElement.clientHeight;
  const width = win.innerWidth || win.document.documentElement.clientWidth;
  return r.bottom > 0 && r.right > 0 && r.top < height && r.left < width;
}
