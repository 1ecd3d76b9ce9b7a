// Formatter registrations are global state: run this assembly's tests one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
