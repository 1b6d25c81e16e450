<?php
/**
 * Plugin Name: SEO FR meta
 * Description: Lets the SEO FR Slack bot fill the Yoast SEO and Rank Math fields of a post through the REST API.
 * Version: 1.0.0
 * License: MIT
 *
 * A must-use plugin: copy this one file into wp-content/mu-plugins/ (create the folder if needed).
 * It registers the SEO plugins' meta keys for posts with show_in_rest, so that
 * POST /wp-json/wp/v2/posts can write them in "meta". Keys starting with "_" are protected:
 * WordPress only lets the REST API write them when an auth_callback allows it; ours lets
 * exactly the users who may edit that post.
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

function seo_fr_meta_keys() {
	return array(
		'_yoast_wpseo_focuskw',
		'_yoast_wpseo_title',
		'_yoast_wpseo_metadesc',
		'rank_math_focus_keyword',
		'rank_math_title',
		'rank_math_description',
	);
}

function seo_fr_meta_register() {
	foreach ( seo_fr_meta_keys() as $key ) {
		register_post_meta(
			'post',
			$key,
			array(
				'type'              => 'string',
				'single'            => true,
				'show_in_rest'      => true,
				'sanitize_callback' => 'sanitize_text_field',
				'auth_callback'     => function ( $allowed, $meta_key, $post_id ) {
					return current_user_can( 'edit_post', $post_id );
				},
			)
		);
	}
}
add_action( 'init', 'seo_fr_meta_register' );
