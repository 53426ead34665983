every 1.day do
  command "report #{Integer('ten')}"
end
