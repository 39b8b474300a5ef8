"""Which day each visit falls on. Pure. (Being built.)"""
