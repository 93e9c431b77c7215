"""The product catalog: trade-grade products, price tiers, CSV import and export."""
