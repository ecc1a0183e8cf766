/* Converting positions between WGS-84 (what we store), GCJ-02 (AMap, Tencent) and BD-09
   (Baidu): the twin of civic/core/coords.py, so pins land on the right street on those
   providers' tiles. Every function takes and returns [lat, lon]. */
(function (root) {
  "use strict";
  var AXIS = 6378245.0;
  var ECCENTRICITY_SQUARED = 0.00669342162296594323;
  var BD_FACTOR = Math.PI * 3000.0 / 180.0;
  var PI = Math.PI;

  function inChina(lat, lon) {
    return lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;
  }

  function shiftLat(x, y) {
    var shift = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    shift += (20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0 / 3.0;
    shift += (20.0 * Math.sin(y * PI) + 40.0 * Math.sin(y / 3.0 * PI)) * 2.0 / 3.0;
    shift += (160.0 * Math.sin(y / 12.0 * PI) + 320.0 * Math.sin(y * PI / 30.0)) * 2.0 / 3.0;
    return shift;
  }

  function shiftLon(x, y) {
    var shift = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    shift += (20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0 / 3.0;
    shift += (20.0 * Math.sin(x * PI) + 40.0 * Math.sin(x / 3.0 * PI)) * 2.0 / 3.0;
    shift += (150.0 * Math.sin(x / 12.0 * PI) + 300.0 * Math.sin(x / 30.0 * PI)) * 2.0 / 3.0;
    return shift;
  }

  function wgs84ToGcj02(lat, lon) {
    if (!inChina(lat, lon)) return [lat, lon];
    var dlat = shiftLat(lon - 105.0, lat - 35.0);
    var dlon = shiftLon(lon - 105.0, lat - 35.0);
    var radLat = lat / 180.0 * PI;
    var magic = 1 - ECCENTRICITY_SQUARED * Math.pow(Math.sin(radLat), 2);
    var sqrtMagic = Math.sqrt(magic);
    dlat = (dlat * 180.0) / ((AXIS * (1 - ECCENTRICITY_SQUARED)) / (magic * sqrtMagic) * PI);
    dlon = (dlon * 180.0) / (AXIS / sqrtMagic * Math.cos(radLat) * PI);
    return [lat + dlat, lon + dlon];
  }

  /* Solves forward(x) = (lat, lon) by fixed-point iteration from a close first guess. */
  function invert(forward, lat, lon, guess) {
    var guessLat = guess[0];
    var guessLon = guess[1];
    for (var i = 0; i < 30; i++) {
      var shifted = forward(guessLat, guessLon);
      var errorLat = shifted[0] - lat;
      var errorLon = shifted[1] - lon;
      guessLat -= errorLat;
      guessLon -= errorLon;
      if (Math.abs(errorLat) < 1e-10 && Math.abs(errorLon) < 1e-10) break;
    }
    return [guessLat, guessLon];
  }

  function gcj02ToWgs84(lat, lon) {
    if (!inChina(lat, lon)) return [lat, lon];
    return invert(wgs84ToGcj02, lat, lon, [lat, lon]);
  }

  function gcj02ToBd09(lat, lon) {
    var z = Math.sqrt(lon * lon + lat * lat) + 0.00002 * Math.sin(lat * BD_FACTOR);
    var theta = Math.atan2(lat, lon) + 0.000003 * Math.cos(lon * BD_FACTOR);
    return [z * Math.sin(theta) + 0.006, z * Math.cos(theta) + 0.0065];
  }

  function bd09ToGcj02(lat, lon) {
    var x = lon - 0.0065;
    var y = lat - 0.006;
    var z = Math.sqrt(x * x + y * y) - 0.00002 * Math.sin(y * BD_FACTOR);
    var theta = Math.atan2(y, x) - 0.000003 * Math.cos(x * BD_FACTOR);
    return invert(gcj02ToBd09, lat, lon, [z * Math.sin(theta), z * Math.cos(theta)]);
  }

  function wgs84ToBd09(lat, lon) {
    if (!inChina(lat, lon)) return [lat, lon];
    var gcj = wgs84ToGcj02(lat, lon);
    return gcj02ToBd09(gcj[0], gcj[1]);
  }

  function bd09ToWgs84(lat, lon) {
    if (!inChina(lat, lon)) return [lat, lon];
    var gcj = bd09ToGcj02(lat, lon);
    return gcj02ToWgs84(gcj[0], gcj[1]);
  }

  function identity(lat, lon) {
    return [lat, lon];
  }

  root.CivicCoords = {
    inChina: inChina,
    wgs84ToGcj02: wgs84ToGcj02,
    gcj02ToWgs84: gcj02ToWgs84,
    gcj02ToBd09: gcj02ToBd09,
    bd09ToGcj02: bd09ToGcj02,
    wgs84ToBd09: wgs84ToBd09,
    bd09ToWgs84: bd09ToWgs84,
    /* From WGS-84 to a map datum and back: [toMap, fromMap]. */
    datum: {
      wgs84: [identity, identity],
      gcj02: [wgs84ToGcj02, gcj02ToWgs84],
      bd09: [wgs84ToBd09, bd09ToWgs84],
    },
  };
})(window);
