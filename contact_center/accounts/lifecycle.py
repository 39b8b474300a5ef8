"""Lifecycle stages from activity. Pure. (Being built.)"""
