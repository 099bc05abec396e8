"""The offline straight-line travel model: haversine distance times a detour factor."""

import pytest

from delivery.routing.straightline import StraightLineTravel, haversine_m

BAVAY = (3.79427, 50.2985)
LE_QUESNOY = (3.63651, 50.24745)


def test_one_degree_of_latitude_is_about_111_km():
    assert haversine_m([(3.0, 50.0), (3.0, 51.0)])[0, 1] == pytest.approx(111_195, abs=5)


def test_distances_are_detoured_and_durations_follow_the_speed():
    # given the default model (x1.3) and Bavay -> Le Quesnoy (about 12.4 km as the crow flies)
    travel = StraightLineTravel(detour=1.3, speed_kmh=45)
    crow = haversine_m([BAVAY, LE_QUESNOY])[0, 1]
    # when the matrices are computed
    durations, distances = travel.matrices([BAVAY, LE_QUESNOY])
    # then distance is 1.3 x crow-fly and duration that distance at 45 km/h, both integers
    assert distances[0, 1] == round(crow * 1.3) and distances[1, 0] == distances[0, 1]
    assert durations[0, 1] == round(crow * 1.3 / (45 / 3.6))
    assert 12_000 < crow < 13_000
    assert durations[0, 0] == 0 and distances.dtype.kind == "i"


def test_the_label_says_in_french_that_it_is_an_estimate():
    travel = StraightLineTravel()
    assert travel.label == "ligne droite × 1,3 (estimation, pas de réseau routier)"
    assert StraightLineTravel(detour=1.25).label.startswith("ligne droite × 1,25")
    assert travel.is_road_network is False


def test_no_road_geometry_is_pretended():
    travel = StraightLineTravel()
    assert travel.route_geometry(BAVAY, LE_QUESNOY) == [BAVAY, LE_QUESNOY]
    assert not hasattr(travel, "path_geometry")


@pytest.mark.parametrize(("detour", "speed"), [(0.9, 45), (1.3, 0), (1.3, -10)])
def test_nonsense_parameters_are_refused(detour, speed):
    with pytest.raises(ValueError):
        StraightLineTravel(detour=detour, speed_kmh=speed)


def test_bad_coordinates_are_refused_naming_the_point():
    with pytest.raises(ValueError, match=r"point #1"):
        StraightLineTravel().matrices([BAVAY, (200.0, 50.0)])
    with pytest.raises(ValueError, match=r"Ferme Dupont \(3\.8, nan\)"):
        StraightLineTravel().matrices([BAVAY, (3.8, float("nan"))], names=["Dépôt", "Ferme Dupont"])
