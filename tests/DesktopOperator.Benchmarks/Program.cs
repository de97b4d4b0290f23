using BenchmarkDotNet.Running;
using DesktopOperator.Benchmarks.Http;
using DesktopOperator.Benchmarks.Pools;
using DesktopOperator.Benchmarks.Proxy;
using DesktopOperator.Benchmarks.Proxy.Epoll;
using DesktopOperator.Benchmarks.Runtime;

// Micro-benchmarks (BenchmarkDotNet), and the side-by-side proxy benchmarks against HAProxy (run-proxy-vs-haproxy.sh)
// and nginx (run-http-vs-nginx.sh).
// Not part of CI's test run:
//   dotnet run -c Release --project tests/DesktopOperator.Benchmarks -- --filter '*'
//   dotnet run -c Release --project tests/DesktopOperator.Benchmarks -- proxy --baseline haproxy --candidate gateway
//   dotnet run -c Release --project tests/DesktopOperator.Benchmarks -- http --rounds 3 --duration 5   (run-http-vs-nginx.sh)
//   dotnet run -c Release --project tests/DesktopOperator.Benchmarks -- informer-http [pods] [runs] [--strip-managed-fields]
//   dotnet run -c Release --project tests/DesktopOperator.Benchmarks -- watch-decode [events] [runs]
//   dotnet run -c Release --project tests/DesktopOperator.Benchmarks -- pool-reconcile [hosts] [routes] [runs] [--out FILE]
return args switch
{
    ["proxy", .. var rest] => await ProxyBenchmarkCommand.RunAsync(rest),
    ["proxy-backend", .. var addresses] => await BackendProcess.RunAsync(addresses),
    ["epoll-relay", .. var rest] => EpollRelay.Run(rest),
    ["http", .. var rest] => await HttpBenchmarkCommand.RunAsync(rest),
    [WebSocketUpstream.Command, .. var addresses] => await WebSocketUpstream.RunAsync(addresses),
    ["informer-http", .. var rest] => await InformerHttpSyncCommand.RunAsync(rest),
    ["watch-decode", .. var rest] => await WatchDecodeCommand.RunAsync(rest),
    ["pool-reconcile", .. var rest] => await PoolReconcileCommand.RunAsync(rest),
    _ => Run(args),
};

static int Run(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    return 0;
}
