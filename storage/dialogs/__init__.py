"""Open guided dialogs (kernel: the dialog-state store)."""
