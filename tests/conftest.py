"""Shared fixtures come from ``core.testing``, loaded through its ``pytest11`` entry point."""
