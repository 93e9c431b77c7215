"""Organizations (supplier, buyer, organizer), their members and invitations."""
