"""One extension per feature, loaded by CompassBot.setup_hook."""
