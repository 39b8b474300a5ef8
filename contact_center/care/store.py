"""Care messages SQL. (Being built.)"""
