"""Ordering a manager's day with OR-Tools; the nearest-neighbour baseline. Pure. (Being built.)"""
