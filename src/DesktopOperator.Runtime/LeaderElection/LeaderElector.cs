using DesktopOperator.Kube.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using k8s;
using k8s.Models;

namespace DesktopOperator.Runtime.LeaderElection;

/// <summary>
/// Leader election on a <c>coordination.k8s.io/v1</c> Lease (client-go's LeaderElector + LeaseLock).
/// Every write is a merge patch carrying the Lease's resourceVersion, so of two candidates racing for an expired lease
/// exactly one succeeds (the other gets 409). Expiry is judged on the local clock from when this replica last saw
/// the Lease change, never from renewTime, so clock skew between replicas does not matter.
/// The leader's token is cancelled by a timer at (start of the last successful renewal + RenewDeadline); a
/// renewal pushes that timer forward, so a leader cut off from the API server stops before anyone may take over.
/// <see cref="RunAsync"/> campaigns again after losing, until cancelled.
/// </summary>
public sealed partial class LeaderElector
{
    private readonly LeaseVerbs _leases;
    private readonly LeaderElectionOptions _options;
    private readonly LeaderCallbacks _callbacks;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly ILogger _logger;
    private V1Lease? _observed;
    private long _observedAt;
    private string? _observedHolder;
    private volatile bool _isLeader;

    /// <summary>On KubernetesClient's typed Lease verbs (<c>CoordinationV1</c>).</summary>
    public LeaderElector(IKubernetes kubernetes, LeaderElectionOptions options, LeaderCallbacks callbacks, TimeProvider? time = null, Random? random = null, ILogger? logger = null)
        : this(new PackageLeaseVerbs(kubernetes, options?.Namespace ?? "", options?.LeaseName ?? ""), options, callbacks, time, random, logger)
    {
    }

    /// <summary>On our <see cref="IKubernetesClient"/>.</summary>
    public LeaderElector(IKubernetesClient client, LeaderElectionOptions options, LeaderCallbacks callbacks, TimeProvider? time = null, Random? random = null, ILogger? logger = null)
        : this(new ClientLeaseVerbs(client, options?.Namespace ?? "", options?.LeaseName ?? ""), options, callbacks, time, random, logger)
    {
    }

    private LeaderElector(LeaseVerbs leases, LeaderElectionOptions? options, LeaderCallbacks callbacks, TimeProvider? time, Random? random, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _leases = leases;
        _options = options;
        _callbacks = callbacks;
        _time = time ?? TimeProvider.System;
        _random = random ?? Random.Shared;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>True from acquiring until the leading token is cancelled.</summary>
    public bool IsLeader => _isLeader;

    public string Identity => _options.Identity;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var acquiredAt = await AcquireAsync(cancellationToken).ConfigureAwait(false);
            if (acquiredAt is not { } attemptStart)
            {
                return;
            }

            await LeadAsync(attemptStart, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Retries until this replica holds the Lease; returns when the winning attempt started, or null if cancelled.</summary>
    private async Task<long?> AcquireAsync(CancellationToken cancellationToken)
    {
        LogCampaigning(_logger, _options.Identity, _options.LeaseName);
        while (true)
        {
            var attemptStart = _time.GetTimestamp();
            if (await TryAcquireOrRenewAsync(cancellationToken).ConfigureAwait(false))
            {
                return attemptStart;
            }

            var delay = _options.RetryPeriod * (1 + (LeaderElectionOptions.JitterFactor * _random.NextDouble()));
            try
            {
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return null;
            }
        }
    }
}
