using PerfNotebooks.Cli;

return PerfCli.Run(args, Console.Out, Console.Error);
