"""The assistant core: answers one message; knows no transport, no argparse, no settings."""
