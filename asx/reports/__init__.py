"""Reports: the weekly Monday meeting pack (Markdown and self-contained HTML with inline SVG)."""
