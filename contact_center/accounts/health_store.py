"""Lifecycle and health SQL. (Being built.)"""
