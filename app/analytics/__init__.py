"""Activity records (visits, views, inquiries...) that dashboards count."""
