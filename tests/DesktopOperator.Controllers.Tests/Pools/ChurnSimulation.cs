using DesktopOperator.Controllers.Pools;

namespace DesktopOperator.Controllers.Tests.Pools;

/// <summary>A pool of simulated hosts and routes driven by a seeded random source; see <see cref="ScalePlannerChurnTests"/>.</summary>
internal sealed class ChurnSimulation(int seed)
{
    private readonly Random _random = new(seed);
    private readonly Dictionary<string, SimHost> _hosts = new(StringComparer.Ordinal);
    private readonly List<SimRoute> _routes = [];
    private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private int _template;
    private int _nextHost;

    private readonly ScaleSettings _settings = new()
    {
        SessionsPerHost = 3, MinHosts = 2, MaxHosts = 8, BufferSessions = 2, ScaleDownDelay = TimeSpan.FromMinutes(5), MaxSurge = 2,
    };

    public int Created { get; private set; }

    public int Deleted { get; private set; }

    public string Summary() => $"created {Created}, deleted {Deleted}, hosts now {_hosts.Count}, routes now {_routes.Count}";

    public void RandomStep()
    {
        switch (_random.Next(100))
        {
            case < 30: StartSession(); break;
            case < 45: EndSession(); break;
            case < 55: FlipConnection(); break;
            case < 70: StartHosts(); break;
            case < 73: FailHost(); break;
            case < 75: CordonHost(); break;
            case < 77: _template++; break;
            default: _now += TimeSpan.FromSeconds(_random.Next(1, 240)); break;
        }
    }

    /// <summary>Plans and applies; returns a description of the first broken invariant, or null.</summary>
    public string? Reconcile()
    {
        var views = _hosts.Values.Select(View).ToList();
        var plan = ScalePlanner.Plan(_settings, views, _routes.Count, _now);
        foreach (var name in plan.MarkBusy)
        {
            _hosts[name].Busy = true;
        }

        foreach (var name in plan.MarkIdle)
        {
            _hosts[name].Busy = false;
            _hosts[name].IdleSince = _now;
        }

        foreach (var action in plan.Delete)
        {
            var host = _hosts[action.Host];
            var bound = BoundTo(action.Host);
            if (bound > 0 && !host.Failed)
            {
                return $"host {action.Host} deleted ({action.Reason}) with {bound} bound route(s)";
            }

            _routes.RemoveAll(r => r.Host == action.Host); // a failed host's routes are marked Failed
            _hosts.Remove(action.Host);
            Deleted++;
        }

        foreach (var action in plan.Drain)
        {
            _hosts[action.Host].Drain = action.Reason;
        }

        foreach (var name in plan.Undrain)
        {
            _hosts[name].Drain = null;
        }

        for (var i = 0; i < plan.Create; i++)
        {
            var name = $"h{_nextHost++}";
            _hosts[name] = new SimHost { Name = name, Template = _template, CreatedAt = _now, IdleSince = _now };
            Created++;
        }

        var serving = _hosts.Values.Count(h => !h.Failed && h.Drain is null);
        if (serving > _settings.MaxHosts + _settings.MaxSurge)
        {
            return $"{serving} hosts serving, more than maxHosts {_settings.MaxHosts} + surge {_settings.MaxSurge}";
        }

        return serving < _settings.MinHosts ? $"{serving} hosts serving, fewer than minHosts {_settings.MinHosts}" : null;
    }

    private HostView View(SimHost h) => new()
    {
        Name = h.Name, Ready = h.Ready && !h.Failed, Failed = h.Failed, Outdated = h.Template != _template, NodeCordoned = h.Cordoned,
        DrainReason = h.Drain, DrainingSince = h.Drain is null ? null : _now, BoundRoutes = BoundTo(h.Name), LabelledBusy = h.Busy,
        IdleSince = h.Busy ? null : h.IdleSince, CreatedAt = h.CreatedAt,
    };

    private int BoundTo(string host) => _routes.Count(r => r.Host == host);

    /// <summary>A new user gets a slot on a ready serving host, as the gateway would, or waits (Pending).</summary>
    private void StartSession()
    {
        var free = _hosts.Values.Where(h => h.Ready && !h.Failed && h.Drain is null && BoundTo(h.Name) < _settings.SessionsPerHost).ToList();
        _routes.Add(new SimRoute { Host = free.Count == 0 ? null : free[_random.Next(free.Count)].Name });
    }

    private void EndSession()
    {
        if (_routes.Count > 0)
        {
            _routes.RemoveAt(_random.Next(_routes.Count));
        }
    }

    /// <summary>Disconnect or resume: the route keeps its host either way; a pending one may bind now.</summary>
    private void FlipConnection()
    {
        if (_routes.Count == 0)
        {
            return;
        }

        var route = _routes[_random.Next(_routes.Count)];
        route.Connected = !route.Connected;
        if (route.Host is null)
        {
            _routes.Remove(route);
            StartSession();
        }
    }

    private void StartHosts()
    {
        foreach (var host in _hosts.Values.Where(h => !h.Ready && _random.Next(2) == 0))
        {
            host.Ready = true;
        }
    }

    private void FailHost()
    {
        var alive = _hosts.Values.Where(h => !h.Failed).ToList();
        if (alive.Count > 0)
        {
            alive[_random.Next(alive.Count)].Failed = true;
        }
    }

    private void CordonHost()
    {
        var alive = _hosts.Values.Where(h => !h.Failed && !h.Cordoned).ToList();
        if (alive.Count > 0)
        {
            alive[_random.Next(alive.Count)].Cordoned = true;
        }
    }

    private sealed class SimHost
    {
        public required string Name { get; init; }

        public int Template { get; init; }

        public DateTimeOffset CreatedAt { get; init; }

        public DateTimeOffset IdleSince { get; set; }

        public bool Ready { get; set; }

        public bool Failed { get; set; }

        public bool Cordoned { get; set; }

        public bool Busy { get; set; }

        public string? Drain { get; set; }
    }

    private sealed class SimRoute
    {
        public string? Host { get; set; }

        public bool Connected { get; set; } = true;
    }
}
