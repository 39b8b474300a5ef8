"""Account values and tiers SQL. (Being built.)"""
