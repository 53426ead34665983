every 1.day do
  command 'cd /srv/app && report'
end
