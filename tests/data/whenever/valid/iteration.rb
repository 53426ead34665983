LOG = '/var/log/exports.log'
%w(orders customers).each_with_index do |name, i|
  every :day, at: "#{5 + i}:00 am" do
    command "export #{name} >> #{LOG}"
  end
end

{ 'cache' => 10, 'queue' => 30 }.each_pair do |what, minutes|
  every minutes.minutes do
    command "flush #{what}"
  end
end
