namespace PerfNotebooks.Physical;

/// <summary>
/// The physical time of one step through every pipeline stage of one replica: the expected time (kernel timer plus
/// engine overhead) and the roofline bound beside it, with the physical work per GPU.
/// </summary>
/// <param name="ExpectedSeconds">Expected wall time: kernels (timer) + communication + engine overhead, seconds.</param>
/// <param name="BoundSeconds">Roofline bound: each kernel at max(FLOPs ÷ peak, bytes ÷ bandwidth), communication at link bandwidth, no overhead, seconds.</param>
/// <param name="CommunicationSeconds">Expected time of all-reduces, all-to-alls and stage transfers (part of <paramref name="ExpectedSeconds"/>), seconds.</param>
/// <param name="OverheadSeconds">Engine overhead (part of <paramref name="ExpectedSeconds"/>), seconds.</param>
/// <param name="Flops">Physical FLOPs one GPU of each stage executes, summed over the stages.</param>
/// <param name="Bytes">Physical device-memory bytes, summed over the stages.</param>
public readonly record struct StepTime(double ExpectedSeconds, double BoundSeconds, double CommunicationSeconds, double OverheadSeconds, double Flops, double Bytes);
