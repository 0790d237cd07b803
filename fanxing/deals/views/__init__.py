"""Pages of the deals app: leads, technology contracts, inventor rewards."""
