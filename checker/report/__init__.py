"""Human-readable reports built from a results dict (the content of results.json)."""
