"""Which greetings are due on a day. Pure. (Being built.)"""
