"""Negotiations between a buyer org and a supplier org: messages, offers, counter-offers."""
