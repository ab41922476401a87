"""Server-rendered pages: the page toolkit (rendering, languages, the style sheet) and
one sub-package per audience."""
