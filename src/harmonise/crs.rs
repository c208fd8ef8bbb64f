//! Coordinates: data.police.uk gives WGS84 longitude and latitude; ONS boundaries come in British
//! National Grid (EPSG:27700) or WGS84. Place analysis works in British National Grid metres.
//!
//! WGS84 -> OSGB36 National Grid is the Ordnance Survey's OSTN15 transformation (through the
//! `lonlat_bng` crate, which applies the OSTN15 grid exactly). WGS84 is taken as ETRS89, which
//! differs from it by well under a metre in the UK today, below the snapping of data.police.uk's
//! anonymised points. OSTN15 reproduces the OS's own test outputs to the millimetre, and agrees
//! with the OSGB36 triangulation to 0.1 m RMS (OS, *Transformations and OSGM15 User Guide*); a
//! Helmert transformation alone would be out by up to 3.5 m (95%), and a flat-earth one by far more.

pub use crate::model::place::Crs;

/// WGS84 longitude and latitude to British National Grid easting and northing (metres), or
/// `None` outside the OSTN15 grid (beyond Great Britain's bounds, or not a number).
pub fn to_bng(longitude: f64, latitude: f64) -> Option<(f64, f64)> {
    lonlat_bng::convert_osgb36(longitude, latitude).ok()
}

/// British National Grid easting and northing to WGS84 longitude and latitude (for GeoJSON,
/// whose coordinates are WGS84 by definition), or `None` outside the grid.
pub fn to_wgs84(easting: f64, northing: f64) -> Option<(f64, f64)> {
    lonlat_bng::convert_osgb36_to_ll(easting, northing).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The OS's published OSTN15 test points (OSTN15_OSGM15_TestInput_ETRStoOSGB and
    /// TestOutput_ETRStoOSGB of the OSTN15 developer pack): ETRS89 latitude, longitude ->
    /// OSGB36 easting, northing, published to the millimetre.
    const OS_TEST_POINTS: [(&str, f64, f64, f64, f64); 8] = [
        ("TP01", 49.92226394, -6.29977752, 91492.146, 11318.804),
        ("TP04", 50.57563665, -1.297822772, 449816.371, 75335.861),
        ("TP07", 51.37447026, 1.444547304, 639821.835, 169565.858),
        ("TP09", 51.48936565, -0.119925572, 530624.974, 178388.464),
        ("TP11", 51.89436637, 0.89724327, 599445.590, 225722.826),
        ("TP13", 52.25160951, -0.91248957, 474335.969, 262047.755),
        ("TP22", 54.11685144, -0.077731332, 525745.670, 470703.214),
        ("TP40", 60.13308092, -2.073828228, 395999.668, 1138728.951),
    ];

    #[test]
    fn the_os_test_points_to_the_millimetre() {
        for (id, lat, lon, e, n) in OS_TEST_POINTS {
            let (x, y) = to_bng(lon, lat).unwrap();
            // Published to the mm: 1.5 mm allows for rounding on both sides.
            assert!(
                (x - e).abs() <= 0.0015 && (y - n).abs() <= 0.0015,
                "{id}: {x}, {y}"
            );
        }
    }

    #[test]
    fn back_to_wgs84_and_outside_the_grid() {
        // TP09 (Lambeth) there and back, to 1e-8 degrees (about a millimetre).
        let (lon, lat) = to_wgs84(530624.974, 178388.464).unwrap();
        assert!((lon + 0.119925572).abs() < 1e-8 && (lat - 51.48936565).abs() < 1e-8);
        // Paris and a missing coordinate are outside the grid: no point, never a wrong one.
        assert_eq!(to_bng(2.35, 48.86), None);
        assert_eq!(to_bng(f64::NAN, 51.5), None);
        assert_eq!("EPSG:27700".parse::<Crs>(), Ok(Crs::Bng));
        assert!(
            "EPSG:3857"
                .parse::<Crs>()
                .unwrap_err()
                .contains("EPSG:27700")
        );
    }
}
