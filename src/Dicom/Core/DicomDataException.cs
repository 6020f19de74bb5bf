namespace EdgeCancer.Dicom;

/// <summary>A value is missing, has the wrong VR for the requested type, or cannot be parsed.</summary>
public class DicomDataException(string message, Exception? inner = null) : Exception(message, inner);
