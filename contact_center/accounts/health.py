"""The four account health figures. Pure. (Being built.)"""
