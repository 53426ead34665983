# Chronic.parse (the chronic whenever loads) for each line of stdin, relative to ARGV[0]
# ("y,m,d,h,mi,s", local time) with the JSON options of ARGV[1]; prints "nil",
# "ERR <class>" or the time as "%Y-%m-%d %H:%M:%S".
require 'chronic'
require 'json'
now = Time.local(*ARGV[0].split(',').map(&:to_i))
opts = JSON.parse(ARGV[1] || '{}', symbolize_names: true)
opts.each { |k, v| opts[k] = v.to_sym if v.is_a?(String) }
STDIN.each_line do |line|
  s = line.chomp
  begin
    r = Chronic.parse(s, opts.merge(now: now))
    puts(r ? r.strftime('%Y-%m-%d %H:%M:%S') : 'nil')
  rescue Exception => e
    puts "ERR #{e.class}"
  end
end
