"""Small shared pieces with no domain of their own."""
