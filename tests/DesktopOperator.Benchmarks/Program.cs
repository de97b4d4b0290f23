using BenchmarkDotNet.Running;

// Micro-benchmarks (BenchmarkDotNet). Side-by-side runs against HAProxy live in scripts beside this project.
// Not part of CI's test run: `dotnet run -c Release --project tests/DesktopOperator.Benchmarks -- --filter '*'`.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
