"""The public pages for parents: search, results, an offer, a waiting-list
position and what to do when the wait is too long."""
