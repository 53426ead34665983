command 'orphan'
