"""ABC tiering: cumulative-share cut-offs over account values. Pure. (Being built.)"""
