"""Care messages as values. (Being built.)"""
