"""Built-in features, shipped as plugins through the same hooks as any mini-app."""

from . import dev_sender, help

BUILTINS = [help, dev_sender]
