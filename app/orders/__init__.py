"""Orders made from accepted offers: lifecycle, parties' steps, payment milestones."""
