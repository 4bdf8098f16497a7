"""The built-in plugins: one module per domain, registered exactly like a store plugin.

Every public module here (``asx/plugins/*.py``, names not starting with ``_``) is loaded by the
plugin host (:mod:`asx.core.plugin_host`) in name order, before the entry points of group ``asx``.
"""
