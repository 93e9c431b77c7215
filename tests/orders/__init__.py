"""Orders: bank details on orders and the proforma invoice."""
