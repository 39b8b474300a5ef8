"""SQL for workflow definitions, cases, their steps and the managed lists."""
