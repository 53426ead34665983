runner 'Report.deliver'
