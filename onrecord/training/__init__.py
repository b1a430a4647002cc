"""Training code (needs the ``train`` extra), kept beside the runtime packages."""
