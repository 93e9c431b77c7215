"""Supplier bank details: versioned, validated, and watched for changes."""
