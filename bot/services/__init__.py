"""Use cases every transport shares: tips from text or files, onboarding, feedback."""
