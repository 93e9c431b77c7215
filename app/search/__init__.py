"""Product search across an event: text in English and Chinese, filters, facets."""
