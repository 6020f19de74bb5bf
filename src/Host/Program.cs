using EdgeCancer.Host.Commands;

return await CliApp.RunAsync(args);
