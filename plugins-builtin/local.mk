# built-in plugins
