using System.Text.Json;
using System.Text.Json.Nodes;
using DesktopOperator.Kube.Client;
using k8s.Models;

namespace DesktopOperator.Runtime.LeaderElection;

public sealed partial class LeaderElector
{
    /// <summary>
    /// One attempt (client-go's tryAcquireOrRenew): read the Lease; if another holder's lease has not expired by
    /// our clock, fail; otherwise write ourselves as holder with the resourceVersion we read. Failures (409, network)
    /// are a false result, logged at debug; they are retried by the caller's loop.
    /// </summary>
    private async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        try
        {
            var lease = await _leases.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (lease is null)
            {
                var created = await _leases.CreateAsync(NewLease(now), cancellationToken).ConfigureAwait(false);
                Observe(created);
                return true;
            }

            Observe(lease);
            var spec = lease.Spec ?? new V1LeaseSpec();
            var holder = spec.HolderIdentity;
            var expired = _time.GetElapsedTime(_observedAt) > _options.LeaseDuration;
            if (!string.IsNullOrEmpty(holder) && holder != _options.Identity && !expired)
            {
                return false;
            }

            var renewing = holder == _options.Identity;
            var updated = await WriteSpecAsync(
                lease,
                new V1LeaseSpec
                {
                    HolderIdentity = _options.Identity,
                    LeaseDurationSeconds = (int)_options.LeaseDuration.TotalSeconds,
                    AcquireTime = renewing ? spec.AcquireTime ?? now.UtcDateTime : now.UtcDateTime,
                    RenewTime = now.UtcDateTime,
                    LeaseTransitions = renewing ? spec.LeaseTransitions ?? 0 : (spec.LeaseTransitions ?? 0) + 1,
                },
                cancellationToken).ConfigureAwait(false);
            Observe(updated);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception e) when (LeaseVerbs.IsAttemptFailure(e))
        {
            LogAttemptFailed(_logger, _options.Identity, e.Message);
            return false;
        }
    }

    private V1Lease NewLease(DateTimeOffset now) => new()
    {
        ApiVersion = "coordination.k8s.io/v1",
        Kind = "Lease",
        Metadata = new V1ObjectMeta { Name = _options.LeaseName, NamespaceProperty = _options.Namespace },
        Spec = new V1LeaseSpec
        {
            HolderIdentity = _options.Identity,
            LeaseDurationSeconds = (int)_options.LeaseDuration.TotalSeconds,
            AcquireTime = now.UtcDateTime,
            RenewTime = now.UtcDateTime,
            LeaseTransitions = 0,
        },
    };

    /// <summary>
    /// Writes <paramref name="spec"/> by a JSON merge patch carrying the resourceVersion that was read: the server
    /// refuses it with 409 when the Lease changed since (optimistic concurrency, as a PUT would), and fields of the
    /// Lease that this model does not know survive, which a PUT of the object read through the model would drop.
    /// </summary>
    private Task<V1Lease> WriteSpecAsync(V1Lease read, V1LeaseSpec spec, CancellationToken cancellationToken)
    {
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = read.Metadata.ResourceVersion },
            ["spec"] = JsonSerializer.SerializeToNode(spec, KubeJson.Options),
        };
        return _leases.MergePatchAsync(patch.ToJsonString(), cancellationToken);
    }

    /// <summary>Remembers the Lease; the local observation time restarts only when it changed (new resourceVersion).</summary>
    private void Observe(V1Lease lease)
    {
        if (_observed?.Metadata.ResourceVersion != lease.Metadata.ResourceVersion)
        {
            _observedAt = _time.GetTimestamp();
        }

        _observed = lease;
        var holder = lease.Spec?.HolderIdentity ?? "";
        if (holder != _observedHolder)
        {
            _observedHolder = holder;
            if (holder.Length > 0)
            {
                LogNewLeader(_logger, _options.Identity, holder);
                _callbacks.OnNewLeader?.Invoke(holder);
            }
        }
    }
}
